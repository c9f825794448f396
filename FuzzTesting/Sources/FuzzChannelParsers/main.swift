// libFuzzer entry point: the channel's parsers (frame decoder and handshake responder, or the
// payload and record parsers) on arbitrary bytes.
import WeMeetFuzzHarness

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ChannelFuzzHarness.parsers(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
