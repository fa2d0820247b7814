using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Inventory;

/// <summary>The kinds of upload the import recognises.</summary>
public enum ImportFormat
{
    /// <summary>PEM or DER certificates and keys, in any mix (also anything unrecognised: the reader explains).</summary>
    PemOrDer,
    Pkcs7,
    Pkcs12,
    SynologyZip,
}

/// <summary>Recognises a file from its first bytes, the way `file(1)` does, so a renamed file still imports.</summary>
public static class ImportFormats
{
    /// <summary>1.2.840.113549.1.7.2 (signedData) as a DER OID: a PKCS#7 ContentInfo starts with it.</summary>
    private static ReadOnlySpan<byte> SignedDataOid => [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

    public static ImportFormat Detect(ReadOnlySpan<byte> data)
    {
        // Local file header or, for an empty archive, the end-of-central-directory record.
        if (data.StartsWith("PK\u0003\u0004"u8) || data.StartsWith("PK\u0005\u0006"u8))
        {
            return ImportFormat.SynologyZip;
        }

        if (PemReader.LooksLikePem(data))
        {
            var blocks = PemReader.ReadAll(data);
            return blocks.IsSuccess && blocks.Value.Count > 0 && blocks.Value.All(b => b.Label == Pem.Pkcs7Label) ? ImportFormat.Pkcs7 : ImportFormat.PemOrDer;
        }

        var inner = InsideOuterSequence(data);
        // PFX ::= SEQUENCE { version INTEGER (3), ... } (RFC 7292 §4); certificates and keys start otherwise.
        if (inner.StartsWith((ReadOnlySpan<byte>)[0x02, 0x01, 0x03]))
        {
            return ImportFormat.Pkcs12;
        }

        return inner.StartsWith(SignedDataOid) ? ImportFormat.Pkcs7 : ImportFormat.PemOrDer;
    }

    private static ReadOnlySpan<byte> InsideOuterSequence(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != 0x30)
        {
            return default;
        }

        // 0x80 is BER's indefinite length (some Java and Windows PKCS#12 writers); 0x81–0x84 a long length.
        var header = data[1] switch
        {
            < 0x80 or 0x80 => 2,
            <= 0x84 => 2 + (data[1] & 0x7F),
            _ => -1,
        };
        return header > 0 && data.Length > header ? data[header..] : default;
    }
}
