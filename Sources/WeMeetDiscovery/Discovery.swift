/// WeMeetDiscovery — the radar: finding WeMeet nodes on the local network.
///
/// This module owns DNS-SD advertisement and browsing of `_wemeet._tcp` through the system's
/// `dns_sd.h` API (Avahi's compatibility library on Linux, Bonjour on macOS), the TXT record
/// format, and an in-memory discovery for unit tests. It is the only module besides
/// WeMeetCrypto that imports a C shim (`CDNSSD`).

import CDNSSD

/// Constants shared by every discovery implementation.
public enum Discovery {
    /// The DNS-SD service type WeMeet nodes register and browse (Protocol.md, "Radar").
    public static let serviceType = "_wemeet._tcp"
}
