// libFuzzer entry point: NodeFuzzHarness.controlJSON on arbitrary bytes.
import Foundation
import WeMeetFuzzHarness

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    NodeFuzzHarness.controlJSON(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
