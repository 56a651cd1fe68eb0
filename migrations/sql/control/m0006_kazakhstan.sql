-- Kazakhstan as a jurisdiction (issue 22): tenge, its penalty rule.
ALTER TABLE public.tenants DROP CONSTRAINT tenants_jurisdiction_check;
ALTER TABLE public.tenants ADD CONSTRAINT tenants_jurisdiction_check
    CHECK (jurisdiction IN ('UA', 'RU', 'KZ', 'BG', 'EU'));
