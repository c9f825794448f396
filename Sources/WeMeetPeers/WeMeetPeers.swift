/// This module owns connections to other nodes: the one channel kept per peer (duplicates
/// resolved as Protocol.md §4.8 says), dialling and redialling static peers, the radar
/// (nearby nodes through discovery, with liveness probes), and routing each application
/// message to the layer above by its type (``ConnectionDelegate``).
