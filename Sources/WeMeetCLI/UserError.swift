import WeMeetControl
import WeMeetCrypto
import WeMeetModel
import WeMeetNode

/// An error shown to the user as `wemeet: MESSAGE` with a non-zero exit code.
struct UserError: Error {
    var message: String
    var exitCode: Int32 = 1

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    init(_ error: NodeError) {
        self.init(error.message, exitCode: error.code == .identityExists ? 3 : 1)
    }

    init(_ error: CryptoError) {
        self.init(error.message)
    }
}

/// Runs `body`, converting the layers' errors into ``UserError``.
func userFacing<R>(_ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as NodeError {
        throw UserError(error)
    } catch let error as CryptoError {
        throw UserError(error)
    }
}
