// libFuzzer entry point: the store's entry decoding and log recovery on arbitrary bytes.
import Foundation
import WeMeetFuzzHarness

let directory = NSTemporaryDirectory() + "/wemeet-fuzz-store-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    StoreFuzzHarness.entry(bytes)
    StoreFuzzHarness.log(bytes, directory: directory)
    return 0
}
