/// This module owns friendship: the friend book (friends, removals, blocks, kept in the
/// store), and pairing by simultaneous press (Protocol.md §6) — the press, one sans-IO
/// commit–reveal exchange per candidate (``PairingExchange``), and the pairing messages.
