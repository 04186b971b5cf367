package dev.ippool.apiserver.storage.etcd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EtcdProcessTest {

    @Test
    @DisplayName("without etcd on PATH the error is one line saying how to install it")
    void missingBinary() {
        assertThatThrownBy(() -> EtcdProcess.findOnPath("etcd", "/nonexistent:/also/not/here"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("etcd not found on PATH: install it with `apt-get install etcd-server` (Debian/Ubuntu),"
                        + " then retry");
    }
}
