-- Bulgarian and Kazakh catalogs (issue 22): a tenant and a user may speak them.
ALTER TABLE public.tenants DROP CONSTRAINT tenants_locale_check;
ALTER TABLE public.tenants ADD CONSTRAINT tenants_locale_check
    CHECK (locale IN ('ru', 'uk', 'en', 'bg', 'kk'));
ALTER TABLE public.users DROP CONSTRAINT users_locale_check;
ALTER TABLE public.users ADD CONSTRAINT users_locale_check
    CHECK (locale IS NULL OR locale IN ('ru', 'uk', 'en', 'bg', 'kk'));
