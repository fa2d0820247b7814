namespace SynoCertPanel.Core.Acme;

/// <summary>
/// One identifier's own error inside a problem (RFC 8555 §6.7.1), so a client learns which of its names failed and why.
/// </summary>
/// <param name="Type">The error's type URN.</param>
/// <param name="Detail">A sentence a person can act on.</param>
/// <param name="Identifier">The identifier it is about.</param>
public sealed record AcmeSubproblem(string Type, string Detail, AcmeIdentifier Identifier);

/// <summary>
/// An ACME error as an RFC 7807 problem document with RFC 8555 §6.7's types. Every refusal of the ACME endpoints is one
/// of these, carrying a sentence a person can act on rather than the bare type.
/// </summary>
/// <param name="Type">The error's type URN (<c>urn:ietf:params:acme:error:…</c>).</param>
/// <param name="Detail">What went wrong and what to do about it.</param>
/// <param name="Status">The HTTP status it is sent with.</param>
public sealed record AcmeProblem(string Type, string Detail, int Status)
{
    public const string ContentType = "application/problem+json";

    private const string Prefix = "urn:ietf:params:acme:error:";

    /// <summary>Per-identifier errors, when the problem is about several identifiers.</summary>
    public IReadOnlyList<AcmeSubproblem> Subproblems { get; init; } = [];

    /// <summary>Seconds the client should wait before trying again (rateLimited), sent as Retry-After.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static AcmeProblem Malformed(string detail) => new(Prefix + "malformed", detail, 400);

    public static AcmeProblem BadNonce(string detail) => new(Prefix + "badNonce", detail, 400);

    public static AcmeProblem BadSignatureAlgorithm(string detail) => new(Prefix + "badSignatureAlgorithm", detail, 400);

    public static AcmeProblem BadPublicKey(string detail) => new(Prefix + "badPublicKey", detail, 400);

    public static AcmeProblem Unauthorized(string detail) => new(Prefix + "unauthorized", detail, 403);

    public static AcmeProblem AccountDoesNotExist(string detail) => new(Prefix + "accountDoesNotExist", detail, 400);

    public static AcmeProblem ExternalAccountRequired(string detail) => new(Prefix + "externalAccountRequired", detail, 400);

    public static AcmeProblem RejectedIdentifier(string detail) => new(Prefix + "rejectedIdentifier", detail, 400);

    public static AcmeProblem UnsupportedIdentifier(string detail) => new(Prefix + "unsupportedIdentifier", detail, 400);

    public static AcmeProblem BadCsr(string detail) => new(Prefix + "badCSR", detail, 400);

    public static AcmeProblem OrderNotReady(string detail) => new(Prefix + "orderNotReady", detail, 403);

    public static AcmeProblem RateLimited(string detail) => new(Prefix + "rateLimited", detail, 429);

    public static AcmeProblem InvalidContact(string detail) => new(Prefix + "invalidContact", detail, 400);

    public static AcmeProblem UnsupportedContact(string detail) => new(Prefix + "unsupportedContact", detail, 400);

    public static AcmeProblem AlreadyRevoked(string detail) => new(Prefix + "alreadyRevoked", detail, 400);

    public static AcmeProblem BadRevocationReason(string detail) => new(Prefix + "badRevocationReason", detail, 400);

    /// <summary>RFC 9773 §5: the certificate in "replaces" is already being replaced by another order.</summary>
    public static AcmeProblem AlreadyReplaced(string detail) => new(Prefix + "alreadyReplaced", detail, 409);

    public static AcmeProblem Connection(string detail) => new(Prefix + "connection", detail, 400);

    public static AcmeProblem Dns(string detail) => new(Prefix + "dns", detail, 400);

    public static AcmeProblem IncorrectResponse(string detail) => new(Prefix + "incorrectResponse", detail, 400);

    public static AcmeProblem Tls(string detail) => new(Prefix + "tls", detail, 400);

    public static AcmeProblem ServerInternal(string detail) => new(Prefix + "serverInternal", detail, 500);

    /// <summary>Not an RFC 8555 type: the request's media type is wrong, which RFC 8555 §6.2 answers with 415.</summary>
    public static AcmeProblem UnsupportedMediaType(string detail) => new(Prefix + "malformed", detail, 415);

    /// <summary>The same, for a body larger than the endpoint accepts (413).</summary>
    public static AcmeProblem TooLarge(string detail) => new(Prefix + "malformed", detail, 413);

    public override string ToString() => $"{Type}: {Detail}";
}

/// <summary>An ACME identifier: <c>dns</c> (RFC 8555) or <c>ip</c> (RFC 8738).</summary>
public sealed record AcmeIdentifier(string Type, string Value);

/// <summary>A value, or the problem that refuses it.</summary>
public readonly struct AcmeOutcome<T>
{
    private readonly T? _value;

    private AcmeOutcome(T? value, AcmeProblem? problem)
    {
        _value = value;
        Problem = problem;
    }

    public AcmeProblem? Problem { get; }

    public bool IsSuccess => Problem is null;

    public T Value => Problem is null ? _value! : throw new InvalidOperationException($"The request was refused: {Problem}");

    public static implicit operator AcmeOutcome<T>(T value) => new(value, null);

    public static implicit operator AcmeOutcome<T>(AcmeProblem problem) => new(default, problem);

    /// <summary>The value as an outcome, where an implicit conversion cannot apply (interfaces such as IReadOnlyList).</summary>
    public static AcmeOutcome<T> From(T value) => new(value, null);
}
