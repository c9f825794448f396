// libFuzzer entry point: NodeFuzzHarness.messages (sync and pairing messages) on arbitrary bytes.
import Foundation
import WeMeetFuzzHarness

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    NodeFuzzHarness.messages(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
