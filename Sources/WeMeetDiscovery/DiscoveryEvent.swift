/// What a ``DiscoveryService`` reports, in order.
public enum DiscoveryEvent: Hashable, Sendable {
    /// The daemon is reachable and browsing has started.
    case available
    /// The daemon is unreachable (or failed); the service retries by itself.
    case unavailable(DiscoveryError)
    /// Our advertisement is registered under this (possibly renamed) instance name.
    case registered(String)
    /// An instance was resolved, or its addresses or record changed.
    case found(Sighting)
    /// An instance left (goodbye received or its records expired).
    case lost(instanceName: String)
    /// An instance advertised something that is not a valid WeMeet record.
    case rejected(instanceName: String, reason: String)
}
