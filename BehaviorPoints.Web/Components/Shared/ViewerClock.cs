using Microsoft.JSInterop;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>
/// The signed-in viewer's time zone offset, asked of the browser once per circuit, so times show as the viewer's
/// local time. Before the circuit is interactive (prerendering) times show in UTC.
/// </summary>
internal sealed class ViewerClock(IJSRuntime js)
{
    private TimeSpan? _offset;
    private Task? _loading;

    /// <summary>Asks the browser once; every caller awaits the same question.</summary>
    public Task EnsureLoadedAsync() => _offset is not null ? Task.CompletedTask : _loading ??= LoadAsync();

    public DateTime ToViewer(DateTime utc) => DateTime.SpecifyKind(utc + (_offset ?? TimeSpan.Zero), DateTimeKind.Unspecified);

    private async Task LoadAsync()
    {
        try
        {
            // getTimezoneOffset is minutes behind UTC (-480 for UTC+8).
            var minutes = await js.InvokeAsync<int>("behaviorPoints.timezoneOffset");
            _offset = TimeSpan.FromMinutes(-minutes);
        }
        catch (Exception exception) when (exception is InvalidOperationException or JSException or JSDisconnectedException or TaskCanceledException)
        {
            // Prerendering has no browser to ask: UTC now, and ask again on the next render.
            _loading = null;
        }
    }
}
