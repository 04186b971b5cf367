#!/bin/sh
# Builds the image's class-data archive (JDK 17 dynamic CDS): starts the service once with
# -XX:ArchiveClassesAtExit, sends it the requests a start and a first client send (the probes, a discovery read and
# a pool GET), and stops it; the JVM writes the classes it loaded to $2 as it exits. Every later start maps them
# instead of loading and verifying ~6,600 classes from the jars: about a quarter off the time to the first answer
# (README, Performance, B9). No etcd is reachable while the image is built: the GET fails, but the classes of the
# request path, the etcd client and gRPC are loaded on the way.
#   train-cds.sh /deployments/quarkus-run.jar /deployments/app-cds.jsa /deployments/jvm.options
# The service is started with the jar path as given (a start maps the archive only with the same class path) and
# the JVM options of the file given third, as the image's entrypoint starts it.
# TRAIN_PORT, TRAIN_MANAGEMENT_PORT and TRAIN_JAVA_OPTS (other JVM options) are for the benchmark, which trains so.
set -eu
jar=$1
archive=$2
options=$3
port=${TRAIN_PORT:-8080}
management=${TRAIN_MANAGEMENT_PORT:-9000}
# a throwaway token, so the requests go through authentication and authorization as a client's do
tokens=$(mktemp)
echo 'training,training,1,"system:masters"' > "$tokens"
auth="Authorization: Bearer training"
ETCD_ENDPOINTS=${ETCD_ENDPOINTS:-http://127.0.0.1:2379} IPPOOL_AUTH_TOKEN_FILE=$tokens \
    QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management \
    java @"$options" ${TRAIN_JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$archive" -jar "$jar" &
pid=$!
i=0
until curl -sf -o /dev/null http://127.0.0.1:$port/livez; do
    i=$((i + 1))
    [ "$i" -lt 300 ] || { kill "$pid"; echo "the service did not start" >&2; exit 1; }
    sleep 0.1
done
curl -s -o /dev/null http://127.0.0.1:$port/readyz || true
curl -s -o /dev/null http://127.0.0.1:$management/metrics || true
curl -s -o /dev/null -H "$auth" http://127.0.0.1:$port/apis/whereabouts.cni.cncf.io/v1alpha1 || true
curl -s -o /dev/null -m 10 -H "$auth" http://127.0.0.1:$port/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/default/ippools/x || true
kill "$pid"
wait "$pid" || true
rm -f "$tokens"
test -s "$archive"
