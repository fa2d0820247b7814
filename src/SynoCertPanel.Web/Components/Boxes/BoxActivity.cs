using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Web.Components.Boxes;

/// <summary>The answer to the last row action, shown above the table: a connection test, a check, or a refusal.</summary>
public sealed record BoxActivity(string BoxName, string Title)
{
    public DeliveryOutcome? Test { get; init; }

    public IReadOnlyList<EndpointCheck>? Checks { get; init; }

    public string? Refusal { get; init; }
}
