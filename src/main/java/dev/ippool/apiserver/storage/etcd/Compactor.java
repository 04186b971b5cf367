package dev.ippool.apiserver.storage.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Compacts etcd as kube-apiserver does (storage/etcd3/compact.go): at every tick, the replica that wins a
 * compare-and-swap on the version of {@code compact_rev_key} compacts to the revision recorded at the previous
 * tick, so one interval of history survives and several replicas never compact twice for one interval.
 */
public final class Compactor {

    static final ByteSequence KEY = ByteSequence.from("compact_rev_key", StandardCharsets.UTF_8);
    private static final Logger LOG = Logger.getLogger(Compactor.class);

    private final Client client;
    private final Duration timeout;
    private long version;
    private long revision;

    public Compactor(Client client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * One tick. Returns the revision it compacted to, or 0 when it did not compact (first tick, or another
     * replica won this interval).
     */
    public synchronized long tick() {
        try {
            TxnResponse response = client.getKVClient().txn()
                    .If(new Cmp(KEY, Cmp.Op.EQUAL, CmpTarget.version(version)))
                    .Then(Op.put(KEY, ByteSequence.from(Long.toString(revision), StandardCharsets.UTF_8),
                            PutOption.DEFAULT))
                    .Else(Op.get(KEY, GetOption.DEFAULT))
                    .commit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long current = response.getHeader().getRevision();
            if (!response.isSucceeded()) {
                version = response.getGetResponses().get(0).getKvs().get(0).getVersion();
                revision = current;
                return 0;
            }
            long target = revision;
            version++;
            revision = current;
            if (target == 0) {
                return 0; // never compact on the first tick
            }
            client.getKVClient().compact(target).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            if (String.valueOf(e.getMessage()).contains("required revision has been compacted")) {
                return 0;
            }
            LOG.warnf("etcd compaction failed: %s", e.getMessage());
            return 0;
        }
    }
}
