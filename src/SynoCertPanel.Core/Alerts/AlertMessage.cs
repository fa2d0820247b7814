using System.Globalization;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Watch;

namespace SynoCertPanel.Core.Alerts;

/// <summary>How loud a message is; each channel maps it to its own priority scale.</summary>
public enum AlertLevel
{
    /// <summary>A test, or an endpoint back to OK.</summary>
    Info,

    /// <summary>Something to fix soon: expiring, not the latest certificate, weak.</summary>
    Warning,

    /// <summary>Clients fail now: expired, untrusted, name not covered, unreachable; a failed deploy.</summary>
    Critical,
}

/// <summary>One alert, the same for every channel: a subject line, a body of sentences, and what it is about.</summary>
/// <param name="Event">test, endpoint or deploy: the history's and the webhook body's "event".</param>
/// <param name="Subject">One line: the ntfy and Gotify title, the mail's subject.</param>
/// <param name="Body">The sentences: what happened and what to do.</param>
/// <param name="Level">How loud: each channel's priority.</param>
/// <param name="Box">The box it is about, when any.</param>
/// <param name="Endpoint">The endpoint (host:port) it is about, when any.</param>
/// <param name="State">The endpoint's new state or the deploy's outcome (kebab-case), when any.</param>
/// <param name="Previous">The endpoint's state before, when known.</param>
public sealed record AlertMessage(
    string Event,
    string Subject,
    string Body,
    AlertLevel Level,
    string? Box = null,
    string? Endpoint = null,
    string? State = null,
    string? Previous = null)
{
    public const string TestEvent = "test";
    public const string EndpointEvent = "endpoint";
    public const string DeployEvent = "deploy";

    public static AlertMessage Test(string channelName, DateTimeOffset at) => new(
        TestEvent,
        $"SynoCertPanel test message for {channelName}",
        string.Create(CultureInfo.InvariantCulture, $"This is a test sent at {at:yyyy-MM-dd HH:mm:ss} UTC from SynoCertPanel. Alerts for the channel \"{channelName}\" arrive like this."),
        AlertLevel.Info);

    /// <summary>The message for an endpoint whose condition changed.</summary>
    public static AlertMessage ForChange(string boxName, EndpointStateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var state = BoxWatch.FormatCondition(change.Current);
        var level = change.IsRecovery ? AlertLevel.Info
            : change.Current.State is EndpointState.Expiring or EndpointState.NotLatest or EndpointState.Weak ? AlertLevel.Warning
            : AlertLevel.Critical;
        var what = change.Current.State switch
        {
            EndpointState.Ok => "OK again",
            EndpointState.Expiring => $"expires within {change.Current.ThresholdDays} days",
            EndpointState.NotLatest => "does not serve the latest certificate",
            EndpointState.Weak => "serves a weak certificate or protocol",
            EndpointState.NameNotCovered => "serves a certificate without its name",
            EndpointState.Untrusted => "serves an untrusted chain",
            EndpointState.Expired => "serves an expired certificate",
            _ => "is unreachable",
        };
        return new(
            EndpointEvent,
            $"{boxName}: {change.Verdict.Target} {what}",
            change.Message,
            level,
            boxName,
            change.Verdict.Target.ToString(),
            state,
            change.Previous is { } previous ? BoxWatch.FormatCondition(previous) : null);
    }

    /// <summary>The message for a deploy that did not end well; null for one that succeeded (or still runs).</summary>
    public static AlertMessage? ForDeploy(DeploymentSummary deploy)
    {
        ArgumentNullException.ThrowIfNull(deploy);
        (string Subject, string Verb)? what = deploy.Outcome switch
        {
            DeploymentOutcome.Failed => ("deploy failed", "failed"),
            DeploymentOutcome.RolledBack => ("deploy rolled back", "was rolled back"),
            DeploymentOutcome.Unfinished => ("deploy left unfinished", "was left unfinished"),
            _ => null,
        };
        if (what is not { } words)
        {
            return null;
        }

        var certificate = deploy.CertificateId is { } id ? string.Create(CultureInfo.InvariantCulture, $" of certificate {id}") : string.Empty;
        return new(
            DeployEvent,
            $"{deploy.BoxName}: {words.Subject}",
            $"The deploy{certificate} to {deploy.BoxName} {words.Verb}. {deploy.Message}",
            AlertLevel.Critical,
            deploy.BoxName,
            State: deploy.Outcome switch
            {
                DeploymentOutcome.RolledBack => "rolled-back",
                _ => deploy.Outcome.ToString().ToLowerInvariant(),
            });
    }
}
