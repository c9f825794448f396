import WeMeetCrypto

extension Node {
    /// The storage quotas in force (Protocol.md §8.4).
    public func quotas() async throws(NodeError) -> QuotaLimits {
        await (try running()).quotas.limits
    }

    /// Records new storage quotas; they apply to the next entry a peer sends. Lowering one
    /// below what is stored drops nothing: the node only refuses more.
    public func setQuotas(_ limits: QuotaLimits) async throws(NodeError) -> QuotaLimits {
        let running = try running()
        var values = await running.settings.values
        values.quotas = limits
        do { try await running.settings.update(values) } catch {
            throw NodeError(code: .io, message: "cannot record the setting: \(error)")
        }
        await running.quotas.update(limits)
        return limits
    }
}
