// A real OpenID Connect provider (oidc-provider, certified) on loopback, for the single
// sign-on tests and the demo. Its development sign-in form accepts any login (use the
// user's e-mail) and any password; consent is granted automatically.
//   OIDC_PORT       port (default 9400); the issuer is http://127.0.0.1:<port>
//   OIDC_REDIRECTS  comma-separated redirect URIs of the billing backend(s)
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 9400);
const issuer = `http://127.0.0.1:${port}`;
const redirects = (process.env.OIDC_REDIRECTS ?? "http://127.0.0.1:8080/auth/sso/callback")
  .split(",").map((s) => s.trim()).filter(Boolean);

const provider = new Provider(issuer, {
  clients: [{
    client_id: "billing",
    client_secret: "billing-sso-secret",
    redirect_uris: redirects,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, email: id, email_verified: true, name: id }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  cookies: { keys: ["billing-test-provider-only"] },
  features: { devInteractions: { enabled: true } },
});
provider.proxy = true;
provider.listen(port, "127.0.0.1", () => console.log(`oidc provider ${issuer}, redirects ${redirects.join(" ")}`));
