/// Why an attachment operation failed.
package struct AttachmentError: Error, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable {
        private let value: Int
        /// Bytes that do not decode as what they claim to be.
        package static let malformed = Code(value: 1)
        /// A chunk or hash list that does not match the blob ID.
        package static let mismatch = Code(value: 2)
        /// Reading or writing a blob's file failed.
        package static let io = Code(value: 3)
        /// The disk is full (ENOSPC): what is held stays, and the fetch resumes later.
        package static let diskFull = Code(value: 4)
    }

    package let code: Code
    package let message: String

    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
