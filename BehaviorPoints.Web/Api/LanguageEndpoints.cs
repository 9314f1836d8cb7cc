using System.Security.Claims;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace BehaviorPoints.Web.Api;

internal static class LanguageEndpoints
{
    /// <summary>
    /// <c>POST /Account/Language</c> from the switch in the top bar (and on the sign-in page): saves the choice on the
    /// signed-in user (a claim, refreshed into their cookie) and in the language cookie, then goes back to the page,
    /// which loads again in the new language.
    /// </summary>
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/Account/Language", async (
            HttpContext context,
            [FromForm] string culture,
            [FromForm] string? returnUrl,
            [FromServices] UserManager<ApplicationUser> users,
            [FromServices] SignInManager<ApplicationUser> signIn) =>
        {
            if (Cultures.Find(culture) is not { } known)
            {
                return Results.Problem($"'{culture}' is not a language of this app; choose one of {string.Join(", ", Cultures.All.Select(c => c.Code))}.",
                    statusCode: StatusCodes.Status400BadRequest);
            }
            culture = known;
            if (await users.GetUserAsync(context.User) is { } user)
            {
                var saved = (await users.GetClaimsAsync(user)).Where(c => c.Type == Cultures.ClaimType).ToList();
                if (saved.Count > 0)
                {
                    await users.RemoveClaimsAsync(user, saved);
                }
                await users.AddClaimAsync(user, new Claim(Cultures.ClaimType, culture));
                await signIn.RefreshSignInAsync(user);
            }
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = context.Request.IsHttps });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "~/");
        }).ExcludeFromDescription();
        return endpoints;
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
