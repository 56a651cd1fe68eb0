-- A tenant may run both sides (issue 23): a municipal utility that bills water and also
-- sells electricity. Its menus show both; an electricity retailer's show only the
-- trader's; the water, housing and owners' kinds only the monthly loop's.
ALTER TABLE public.tenants DROP CONSTRAINT tenants_business_kind_check;
ALTER TABLE public.tenants ADD CONSTRAINT tenants_business_kind_check
    CHECK (business_kind IN ('water', 'housing', 'hoa', 'electricity', 'water_electricity'));
