using System.Text;

namespace SynoCertPanel.Pki.Formats;

/// <summary>One PEM block: its label (CERTIFICATE, PRIVATE KEY, …), RFC 1421 headers, and decoded bytes.</summary>
public sealed record PemBlock(string Label, byte[] Data, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsEncryptedLegacy => Headers.TryGetValue("Proc-Type", out var type)
        && type.Replace(" ", "", StringComparison.Ordinal).Equals("4,ENCRYPTED", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Reads PEM as people's files really are: CRLF or LF, a UTF-8 byte-order mark, text around the blocks
/// (openssl's "Bag Attributes", comments), several blocks in one file, headers of legacy encrypted keys.
/// </summary>
public static class PemReader
{
    /// <summary>A full chain with keys is a few dozen KiB; anything past this is not a PEM file we want.</summary>
    public const int MaxInputBytes = 1024 * 1024;

    public const int MaxBlocks = 64;

    private const string BeginMarker = "-----BEGIN ";
    private const string EndMarker = "-----END ";

    /// <summary>True when the data contains a PEM BEGIN line (after an optional BOM and text).</summary>
    public static bool LooksLikePem(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(data.Length, MaxInputBytes)];
        return head.IndexOf("-----BEGIN "u8) >= 0;
    }

    public static Result<IReadOnlyList<PemBlock>> ReadAll(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxInputBytes)
        {
            return Fail($"The file is {data.Length / 1024} KiB; PEM files over {MaxInputBytes / 1024} KiB are not accepted.");
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            data = data[3..];
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            return Fail("The file is not text: a PEM file holds only letters, digits and BEGIN/END lines.");
        }

        return ReadAll(text);
    }

    public static Result<IReadOnlyList<PemBlock>> ReadAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxInputBytes)
        {
            return Fail($"The text is {text.Length / 1024} KiB; PEM over {MaxInputBytes / 1024} KiB is not accepted.");
        }

        var lines = text.TrimStart('\uFEFF').Split('\n');
        var blocks = new List<PemBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith(BeginMarker, StringComparison.Ordinal))
            {
                continue;
            }

            var label = LabelOf(line, BeginMarker);
            if (label is null)
            {
                return Fail($"Line {i + 1} is a damaged BEGIN line.");
            }

            var block = ReadBlock(lines, ref i, label);
            if (!block.IsSuccess)
            {
                return Fail(block.Error!);
            }

            blocks.Add(block.Value);
            if (blocks.Count > MaxBlocks)
            {
                return Fail($"The file holds more than {MaxBlocks} PEM blocks.");
            }
        }

        return blocks.Count == 0
            ? Fail("No PEM block found (expected lines like -----BEGIN CERTIFICATE-----).")
            : Result.Success<IReadOnlyList<PemBlock>>(blocks);
    }

    private static Result<PemBlock> ReadBlock(string[] lines, ref int index, string label)
    {
        var beginLine = index + 1;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var base64 = new StringBuilder();
        var inHeaders = true;
        for (index++; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.StartsWith(EndMarker, StringComparison.Ordinal))
            {
                var endLabel = LabelOf(line, EndMarker);
                if (endLabel != label)
                {
                    return Result.Failure<PemBlock>(
                        $"The {Display.Literal(label, 40)} block that starts on line {beginLine} ends with a different label ({Display.Literal(endLabel ?? line, 40)}).");
                }

                return Decode(label, base64.ToString(), headers, beginLine);
            }

            if (line.StartsWith(BeginMarker, StringComparison.Ordinal))
            {
                break;
            }

            if (inHeaders && line.Contains(':', StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            inHeaders = false;
            base64.Append(line);
        }

        return Result.Failure<PemBlock>($"The {Display.Literal(label, 40)} block that starts on line {beginLine} has no END line (the file is truncated).");
    }

    private static Result<PemBlock> Decode(string label, string base64, Dictionary<string, string> headers, int beginLine)
    {
        var clean = base64.Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal);
        if (clean.Length == 0)
        {
            return Result.Failure<PemBlock>($"The {Display.Literal(label, 40)} block on line {beginLine} is empty.");
        }

        var bytes = new byte[(clean.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(clean, bytes, out var written))
        {
            return Result.Failure<PemBlock>($"The {Display.Literal(label, 40)} block on line {beginLine} is damaged (invalid base64).");
        }

        return Result.Success(new PemBlock(label, bytes[..written], headers));
    }

    private static string? LabelOf(string line, string marker)
    {
        if (!line.EndsWith("-----", StringComparison.Ordinal) || line.Length < marker.Length + 5)
        {
            return null;
        }

        var label = line[marker.Length..^5];
        return label.Length <= 64 && label.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '-')
            ? label
            : null;
    }

    private static Result<IReadOnlyList<PemBlock>> Fail(string message) => Result.Failure<IReadOnlyList<PemBlock>>(message);
}
