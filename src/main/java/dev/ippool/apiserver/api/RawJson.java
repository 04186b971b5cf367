package dev.ippool.apiserver.api;

/**
 * An object already in kube's compact JSON wire form (keys sorted, trailing newline), written to a plain JSON
 * response as it is; any other rendering (pretty, YAML, Table) decodes it first.
 */
public record RawJson(byte[] bytes) {
}
