namespace SynoCertPanel.Pki.Lint;

/// <summary>How much a finding matters: an error breaks a client or a standard, a warning is a likely problem.</summary>
public enum LintSeverity
{
    Info,
    Warning,
    Error,
}
