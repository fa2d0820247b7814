namespace SynoCertPanel.Web.Components.Boxes;

/// <summary>What a row of the Boxes table asks the page to do.</summary>
public enum BoxAction
{
    Check,
    Test,
    Deploy,
    History,
    Edit,
    Toggle,
    Delete,
}
