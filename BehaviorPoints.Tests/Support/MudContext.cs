using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Interop;
using MudBlazor.Services;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// A bUnit context with MudBlazor's services and a signed-out user (tests sign in through <see cref="Authorization"/>),
/// rendering as an interactive server circuit would.
/// </summary>
public abstract class MudContext : BunitContext, IDisposable
{
    protected MudContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Authorization = AddAuthorization();
        // Charts draw at their element's size (MatchBoundsToSize), which they ask the browser for.
        JSInterop.Setup<ElementSize>("mudObserveElementSize", _ => true).SetResult(new ElementSize { Width = 640, Height = 240 });
    }

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs in a user of <paramref name="role"/> (e-mail <c>{role}@example.com</c>, id <c>{role}-id</c>, lower case).</summary>
    protected void SignIn(string role)
    {
        var name = role.ToLowerInvariant();
        Authorization.SetAuthorized($"{name}@example.com");
        Authorization.SetRoles(role);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, $"{name}-id"));
    }

    /// <summary>Renders after every service is registered (the renderer locks the service collection).</summary>
    protected IRenderedComponent<T> RenderInteractive<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return parameters is null ? Render<T>() : Render(parameters);
    }

    // MudBlazor registers services that only dispose asynchronously; xunit disposes test classes synchronously.
    void IDisposable.Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
