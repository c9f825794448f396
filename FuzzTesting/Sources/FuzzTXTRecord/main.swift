// libFuzzer entry point: NodeFuzzHarness.txt on arbitrary bytes.
import Foundation
@_spi(Fuzzing) import WeMeetNode

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    NodeFuzzHarness.txt(Array(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}
