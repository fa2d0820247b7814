namespace SynoCertPanel.Core.Watch;

/// <summary>
/// Sits between the socket and SslStream during a probe: counts what the server sends, keeps its first bytes
/// (to tell "not TLS at all" and a plaintext alert from other failures), and cuts a server that sends more
/// than any handshake needs.
/// </summary>
internal sealed class HandshakeRecorder(Stream inner, int maxBytes) : Stream
{
    /// <summary>A TLS record header (5 bytes) plus an alert body (2), and enough of anything else to show it.</summary>
    private const int PrefixLength = 64;

    private readonly byte[] _prefix = new byte[PrefixLength];

    private int _prefixLength;

    public long BytesReceived { get; private set; }

    public ReadOnlySpan<byte> Prefix => _prefix.AsSpan(0, _prefixLength);

    public bool LimitReached { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Record(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Record(buffer[..inner.Read(buffer)]);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Record(ReadOnlySpan<byte> received)
    {
        var copied = Math.Min(received.Length, PrefixLength - _prefixLength);
        received[..copied].CopyTo(_prefix.AsSpan(_prefixLength));
        _prefixLength += copied;
        BytesReceived += received.Length;
        if (BytesReceived > maxBytes)
        {
            LimitReached = true;
            throw new HandshakeTooLargeException(maxBytes);
        }

        return received.Length;
    }
}

/// <summary>The server sent more than <see cref="ProbeOptions.MaxHandshakeBytes"/> before the handshake ended.</summary>
internal sealed class HandshakeTooLargeException(int limit)
    : IOException($"The server sent more than {limit} bytes without finishing the TLS handshake.");
