/// What happens to a channel after an application message its reader handled.
public enum MessageVerdict: Sendable {
    /// Keep reading.
    case keep
    /// Close the channel with this code and reason (the message broke the protocol).
    case close(CloseCode, String)
}
