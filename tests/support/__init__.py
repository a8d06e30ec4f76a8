"""Real servers for tests, the demo and benchmarks: a docker-registry, its token server,
seeding over HTTP, and proxies that page or break responses. Import as `tests.support`."""
