namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// Measures how deep constructed ASN.1 values nest, without recursion. BouncyCastle parses recursively, so a
/// small file of a hundred thousand nested SEQUENCEs would overflow the stack (which no catch can handle).
/// Malformed encodings are left for the real parser to report; this only bounds depth.
/// </summary>
internal static class DerNesting
{
    public static bool IsWithin(ReadOnlySpan<byte> data, int maxDepth)
    {
        // End offset of each open constructed value; -1 for an indefinite length closed by an end-of-contents.
        var ends = new Stack<long>();
        long position = 0;
        while (position < data.Length)
        {
            while (ends.Count > 0 && ends.Peek() >= 0 && position >= ends.Peek())
            {
                ends.Pop();
            }

            var tag = data[(int)position++];
            if ((tag & 0x1F) == 0x1F)
            {
                while (position < data.Length && (data[(int)position++] & 0x80) != 0)
                {
                }
            }

            if (position >= data.Length)
            {
                return true;
            }

            long length = data[(int)position++];
            var indefinite = length == 0x80;
            if (tag == 0 && length == 0)
            {
                if (ends.Count > 0 && ends.Peek() < 0)
                {
                    ends.Pop();
                }

                continue;
            }

            if (length > 0x80)
            {
                var octets = (int)(length & 0x7F);
                if (octets > 4 || position + octets > data.Length)
                {
                    return true;
                }

                length = 0;
                for (var i = 0; i < octets; i++)
                {
                    length = (length << 8) | data[(int)position++];
                }
            }

            if ((tag & 0x20) != 0)
            {
                ends.Push(indefinite ? -1 : position + length);
                if (ends.Count > maxDepth)
                {
                    return false;
                }
            }
            else if (!indefinite)
            {
                position += length;
            }
        }

        return true;
    }
}
