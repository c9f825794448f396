/// Version numbers of this build.
public enum WeMeetVersion {
    /// The software version, shown by `wemeet --version`.
    public static let software = "0.1.0"
    /// The wire protocol version this build speaks (Protocol.md, "Versioning").
    public static let protocolVersion: UInt16 = 1
}
