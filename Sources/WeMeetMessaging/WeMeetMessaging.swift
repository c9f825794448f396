/// This module owns direct messages between friends (Protocol.md §9): their end-to-end
/// encryption, sending with group commit, receipts, conversations and the inbox, and the
/// sync policy for direct-message feeds.
