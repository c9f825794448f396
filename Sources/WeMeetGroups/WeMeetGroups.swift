/// This module owns WeMeet Group (Protocol.md §10): group records and their pure fold into a
/// membership (``GroupState``), group keys and sealing, posts and comments, moments, and the
/// timelines (a group's posts, discover, the feed), with the sync policy for group feeds.
