"""Follows an IPPool watch with the official Kubernetes Python client, printing one line per event.

Usage: watch_ippools.py <server-url> <namespace> <events-to-read>
"""
import sys

from kubernetes import client, watch


def main():
    server, namespace, wanted = sys.argv[1], sys.argv[2], int(sys.argv[3])
    configuration = client.Configuration()
    configuration.host = server
    api = client.CustomObjectsApi(client.ApiClient(configuration))
    stream = watch.Watch()
    seen = 0
    for event in stream.stream(api.list_namespaced_custom_object, "whereabouts.cni.cncf.io", "v1alpha1",
                               namespace, "ippools", timeout_seconds=60):
        metadata = event["object"]["metadata"]
        print(event["type"], metadata["name"], metadata["resourceVersion"], flush=True)
        seen += 1
        if seen >= wanted:
            stream.stop()
    print("DONE", stream.resource_version, flush=True)


if __name__ == "__main__":
    main()
