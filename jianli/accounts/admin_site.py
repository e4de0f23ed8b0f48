from django.contrib.admin.apps import AdminConfig


class OpsAdminConfig(AdminConfig):
    """Django's admin, served by the operators' site: password and TOTP, as in the consoles."""

    default_site = "jianli.accounts.operators.OpsAdminSite"
