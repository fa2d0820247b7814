namespace SynoCertPanel.Web.Components.Boxes;

/// <summary>
/// Deploy steps as they happen, handed to the component through its own dispatcher: <see cref="Progress{T}"/> would post
/// to whatever context was current when it was made, which is not the circuit's once the deploy has awaited.
/// </summary>
public sealed class DeployProgress(Func<string, Task> report) : IProgress<string>
{
    public void Report(string value) => _ = report(value);
}
