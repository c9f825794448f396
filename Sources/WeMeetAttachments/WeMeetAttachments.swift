/// # WeMeetAttachments
///
/// Photos, voice notes and files (Protocol.md §13): each is a **blob** — the file sealed
/// under its own random key in fixed-size chunks, each chunk verifiable against the hash list
/// whose digest is the blob ID — plus a **reference** inside the (sealed) entry that carries
/// it. This target owns the blob format (``Blob``), the wire messages (``BlobMessage``), the
/// files under `HOME/blobs`, and ``Attachments``: the catalogue of references this node
/// holds, who may fetch which blob (whoever would be served an entry referencing it), and
/// fetching — in windows, from every holder online, verified chunk by chunk, resumable.
///
/// Messaging and groups announce the references they find on ``AttachmentFinds``; the node
/// hands them to ``Attachments`` (data flows one way).
