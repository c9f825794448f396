/// This module owns feed sync (Protocol.md §8): the wire messages, one sans-IO session
/// machine per peer (``SyncSession``) driven by the ``Sync`` actor, storage quotas, and the
/// one-way seams the features use — ``FeedGrowth`` for their appends, ``PolicyChanges`` for
/// who may sync what, ``IngestConsumer`` for what arrives. It decides nothing about whose
/// feeds go where: a ``SyncPolicy`` does.
