namespace SynoCertPanel.Pki;

/// <summary>
/// The outcome of an operation whose failure is expected (bad input, wrong passphrase, weak key):
/// either a value, or a message written for the person who supplied the input.
/// Warnings travel with a success (for example "validity clipped to the issuer's expiry").
/// </summary>
public sealed class Result<T>
{
    private readonly T? _value;

    private Result(T? value, string? error, IReadOnlyList<string> warnings)
    {
        _value = value;
        Error = error;
        Warnings = warnings;
    }

    public bool IsSuccess => Error is null;

    public string? Error { get; }

    public IReadOnlyList<string> Warnings { get; }

    public T Value => IsSuccess
        ? _value!
        : throw new InvalidOperationException($"The operation failed: {Error}");

    public static Result<T> Success(T value, IReadOnlyList<string>? warnings = null) =>
        new(value, null, warnings ?? []);

    public static Result<T> Failure(string error) => new(default, error, []);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) =>
        IsSuccess ? Result<TOut>.Success(map(Value), Warnings) : Result<TOut>.Failure(Error!);

    public Result<TOut> Bind<TOut>(Func<T, Result<TOut>> next)
    {
        if (!IsSuccess)
        {
            return Result<TOut>.Failure(Error!);
        }

        var result = next(Value);
        return result.IsSuccess && Warnings.Count > 0
            ? Result<TOut>.Success(result.Value, [.. Warnings, .. result.Warnings])
            : result;
    }

    public override string ToString() => IsSuccess ? $"Success({_value})" : $"Failure({Error})";
}

public static class Result
{
    public static Result<T> Success<T>(T value, IReadOnlyList<string>? warnings = null) =>
        Result<T>.Success(value, warnings);

    public static Result<T> Failure<T>(string error) => Result<T>.Failure(error);
}
