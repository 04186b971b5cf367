package dev.ippool.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.Codec;
import dev.ippool.apiserver.config.IppoolConfig;
import dev.ippool.apiserver.security.RequestInfo;
import dev.ippool.apiserver.security.User;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jboss.logging.Logger;

/**
 * One JSON line per request — audit ID, user, groups, verb, resource, namespace, name, code, latency, user
 * agent, source IP — to a file or standard output, written by one background thread so no request waits on I/O.
 * Never the Authorization header. The thread writes every line waiting at once, in one write: under load a line
 * per write (and a thread wake-up per line) cost more than the requests they record.
 */
@Singleton
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final Codec codec;
    private final OutputStream out;
    private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private final Thread writer;

    public AuditLog(Codec codec, IppoolConfig config) {
        this.codec = codec;
        String target = config.audit().file().orElse("");
        if (target.isEmpty()) {
            this.out = null;
            this.writer = null;
            return;
        }
        try {
            this.out = target.equals("-") ? System.out : Files.newOutputStream(Path.of(target),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit log " + target, e);
        }
        this.writer = new Thread(this::drain, "audit-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes what is waiting, in one write per batch, until closed. */
    private void drain() {
        List<byte[]> batch = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        boolean closing = false;
        while (!closing) {
            try {
                batch.add(lines.take());
            } catch (InterruptedException e) {
                closing = true; // what was recorded before close still goes out
            }
            lines.drainTo(batch);
            buffer.reset();
            batch.forEach(buffer::writeBytes);
            batch.clear();
            try {
                buffer.writeTo(out);
                out.flush();
            } catch (IOException e) {
                LOG.error("audit log write failed", e);
            }
        }
    }

    void record(String auditId, User user, RequestInfo info, HttpServerRequest request, int code, long latencyMs) {
        if (writer == null) {
            return;
        }
        ObjectNode line = codec.newObject();
        line.put("auditID", auditId);
        line.put("requestURI", request.uri());
        line.put("verb", info.verb());
        line.put("user", user == null ? "" : user.name());
        line.putArray("groups").addAll(user == null ? java.util.List.of()
                : user.groups().stream().map(g -> (com.fasterxml.jackson.databind.JsonNode)
                        codec.mapper().getNodeFactory().textNode(g)).toList());
        line.put("apiGroup", info.apiGroup());
        line.put("resource", info.resource());
        line.put("namespace", info.namespace());
        line.put("name", info.name());
        line.put("code", code);
        line.put("latencyMs", latencyMs);
        line.put("userAgent", String.valueOf(request.getHeader("User-Agent")));
        line.put("sourceIP", request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
        lines.add(codec.encode(line));
    }

    @PreDestroy
    void close() {
        if (writer != null) {
            writer.interrupt();
        }
    }
}
