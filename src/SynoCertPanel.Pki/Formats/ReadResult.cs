namespace SynoCertPanel.Pki.Formats;

/// <summary>
/// Why reading a key or bundle failed, so a page can react (show the passphrase field, ask for another
/// file) instead of only printing the message.
/// </summary>
public enum ReadProblem
{
    None,

    /// <summary>The key is encrypted and no passphrase was given: show the passphrase field.</summary>
    PassphraseRequired,

    /// <summary>A passphrase was given and does not decrypt the key.</summary>
    WrongPassphrase,

    /// <summary>Truncated, corrupted, or not the kind of data expected.</summary>
    Damaged,

    /// <summary>Readable, but a key type, size or encryption scheme the panel does not accept.</summary>
    Unsupported,

    /// <summary>Refused before any work: too large, or parameters (iteration counts) that only an attacker would choose.</summary>
    LimitExceeded,

    /// <summary>The pieces do not fit together: key and certificate mismatch, two keys, no certificate, a broken chain.</summary>
    Inconsistent,
}

/// <summary>A <see cref="Result{T}"/> plus the <see cref="ReadProblem"/> that explains a failure.</summary>
public sealed class ReadResult<T>
{
    private ReadResult(Result<T> result, ReadProblem problem)
    {
        Result = result;
        Problem = problem;
    }

    public Result<T> Result { get; }

    public ReadProblem Problem { get; }

    public bool IsSuccess => Result.IsSuccess;

    public string? Error => Result.Error;

    public T Value => Result.Value;

    public IReadOnlyList<string> Warnings => Result.Warnings;

    public static ReadResult<T> Success(T value, IReadOnlyList<string>? warnings = null) =>
        new(Result<T>.Success(value, warnings), ReadProblem.None);

    public static ReadResult<T> Failure(ReadProblem problem, string error)
    {
        if (problem == ReadProblem.None)
        {
            throw new ArgumentException("A failure needs a problem kind.", nameof(problem));
        }

        return new(Result<T>.Failure(error), problem);
    }

    public ReadResult<TOut> FailAs<TOut>() => IsSuccess
        ? throw new InvalidOperationException("Only a failure can be carried over to another type.")
        : ReadResult<TOut>.Failure(Problem, Error!);

    public override string ToString() => IsSuccess ? Result.ToString() : $"{Problem}: {Error}";
}
