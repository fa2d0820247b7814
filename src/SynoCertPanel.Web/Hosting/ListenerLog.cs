namespace SynoCertPanel.Web.Hosting;

/// <summary>The listener's log lines, with stable event ids so an admin can grep or alert on them.</summary>
internal static partial class ListenerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Serving certificate {CertificateId} ({Subject}, SHA-256 {Thumbprint})")]
    public static partial void Serving(ILogger logger, int certificateId, string subject, string thumbprint);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "No default certificate yet: created self-signed certificate {CertificateId} for {Names}")]
    public static partial void FirstStartSelfSigned(ILogger logger, int certificateId, string names);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Critical,
        Message = "THE DEFAULT CERTIFICATE {CertificateId} CANNOT BE SERVED: {Reason}. Serving a NEW SELF-SIGNED certificate {NewCertificateId} instead so the panel stays reachable; browsers will warn until you apply a certificate again.")]
    public static partial void DefaultUnusableFellBack(ILogger logger, int certificateId, string reason, int newCertificateId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Applied certificate {CertificateId} (SHA-256 {Thumbprint}) by {Actor}; confirmed by a handshake in {ElapsedMs} ms")]
    public static partial void Applied(ILogger logger, int certificateId, string thumbprint, string actor, long elapsedMs);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Refused to apply certificate {CertificateId} for {Actor}: {Reason}")]
    public static partial void ApplyRefused(ILogger logger, int certificateId, string actor, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Applying certificate {CertificateId} failed the handshake check ({Reason}); restored certificate {PreviousCertificateId}")]
    public static partial void ApplyRolledBack(ILogger logger, int certificateId, string reason, int previousCertificateId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "The default certificate changed in the data directory to {CertificateId}; now serving it")]
    public static partial void PickedUpExternalChange(ILogger logger, int certificateId);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "The data directory names certificate {CertificateId} as the default, but it cannot be served ({Reason}); still serving {CurrentCertificateId}")]
    public static partial void ExternalChangeUnusable(ILogger logger, int certificateId, string reason, int currentCertificateId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "Checking the data directory for a new default certificate failed")]
    public static partial void PollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "The listener moved from {Previous} to {Current} by {Actor}; confirmed by handshakes in {ElapsedMs} ms")]
    public static partial void Rebound(ILogger logger, ListenerBinding previous, ListenerBinding current, string actor, long elapsedMs);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "The listener could not move to {Requested} ({Reason}); it listens on {Previous}")]
    public static partial void RebindFellBack(ILogger logger, ListenerBinding requested, string reason, ListenerBinding previous);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Critical,
        Message = "THE LISTENER COULD NOT MOVE TO {Requested} ({Reason}) AND COULD NOT BIND {Previous} AGAIN ({RestoreError}). Restart the panel.")]
    public static partial void RebindLost(ILogger logger, ListenerBinding requested, string reason, ListenerBinding previous, string restoreError);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Starting on the given listener options: {Reason}")]
    public static partial void StoredBindingUnusable(ILogger logger, string reason);
}
