/// This module owns the public value types of WeMeet's interfaces: what the control API
/// answers and the CLI shows (status, radar, pairing, friends, messages, groups, posts, the
/// store's reports), the node's typed events (``NodeEvent``, ``NodeEvent/Kind``) and their
/// hub, the node's public error, and the JSON coders the server and its clients share. It
/// depends on nothing else of WeMeet: the server encodes these types and every client
/// decodes the same ones.
