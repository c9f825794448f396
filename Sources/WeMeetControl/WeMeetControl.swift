/// This module owns the local control API (API.md): the Hummingbird server on
/// `HOME/control.sock`, one route collection per feature, the checks of every query value,
/// and the client the CLI uses. It sits above the node and drives it; the node does not know
/// it.
