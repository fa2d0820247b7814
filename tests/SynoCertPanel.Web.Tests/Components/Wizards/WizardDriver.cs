using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace SynoCertPanel.Web.Tests.Components.Wizards;

/// <summary>Drives a wizard page by the data-testid attributes end-to-end tests use as well.</summary>
internal static class WizardDriver
{
    public static readonly TimeSpan KeyGeneration = TimeSpan.FromSeconds(30);

    public static IElement ById<T>(this IRenderedComponent<T> page, string testId)
        where T : IComponent => page.Find($"[data-testid={testId}]");

    public static bool Has<T>(this IRenderedComponent<T> page, string testId)
        where T : IComponent => page.FindAll($"[data-testid={testId}]").Count > 0;

    public static void Type<T>(this IRenderedComponent<T> page, string testId, string text)
        where T : IComponent => page.ById(testId).Input(text);

    /// <summary>
    /// Finds and clicks on the renderer's dispatcher, so no render can fall between the two and leave the click on a
    /// handler the page has just replaced (a step that renders twice, such as the result after Create).
    /// </summary>
    public static void Click<T>(this IRenderedComponent<T> page, string testId)
        where T : IComponent => page.InvokeAsync(() => page.ById(testId).Click()).GetAwaiter().GetResult();

    public static bool IsDisabled<T>(this IRenderedComponent<T> page, string testId)
        where T : IComponent => page.ById(testId).HasAttribute("disabled");

    /// <summary>Types into a name field and presses Enter, as a person adds a chip.</summary>
    public static void AddName<T>(this IRenderedComponent<T> page, string prefix, string text)
        where T : IComponent
    {
        page.Type($"{prefix}-input", text);
        page.ById($"{prefix}-input").KeyDown(new KeyboardEventArgs { Key = "Enter" });
    }

    public static IReadOnlyList<string> Chips<T>(this IRenderedComponent<T> page, string prefix)
        where T : IComponent => page.FindAll($"[data-testid={prefix}-chip]").Select(c => c.TextContent.Trim()).ToList();

    /// <summary>Clicks Next (or Create) once it is enabled, and waits for the step with the given marker.</summary>
    public static void Next<T>(this IRenderedComponent<T> page, string waitFor, string button = "wizard-next")
        where T : IComponent
    {
        page.WaitForAssertion(() => Assert.False(page.IsDisabled(button)));
        page.Click(button);
        page.WaitForAssertion(() => Assert.True(page.Has(waitFor), $"{waitFor} did not appear in {page.Markup}"), KeyGeneration);
    }

    /// <summary>
    /// Clicks <paramref name="submit"/> while the storage's write gate is held, so the operation stays running (the
    /// services take the gate after making the keys): the progress shows, <paramref name="submit"/> and every
    /// <paramref name="alsoDisabled"/> button are disabled, and a second click does nothing. Then lets it finish.
    /// </summary>
    public static async Task SubmitWhileStorageBusyAsync<T>(this IRenderedComponent<T> page, SemaphoreSlim writeGate, string submit,
        params string[] alsoDisabled)
        where T : IComponent
    {
        await writeGate.WaitAsync();
        try
        {
            page.Click(submit);
            page.WaitForAssertion(() => Assert.True(page.Has("wizard-progress")));
            Assert.True(page.IsDisabled(submit));
            Assert.All(alsoDisabled, button => Assert.True(page.IsDisabled(button), $"{button} is enabled while running"));
            page.Click(submit);
        }
        finally
        {
            writeGate.Release();
        }
    }
}
