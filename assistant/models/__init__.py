"""Chat models: providers and their clients (providers, client, transport, request), the bundled
models (bundled) and the in-process llama.cpp server that serves them (local_server)."""
