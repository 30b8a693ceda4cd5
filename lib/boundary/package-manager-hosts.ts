/** The registries `allow_package_managers` opens in a limited environment (apt, cargo, gem, go, npm, pip). */
export const PACKAGE_MANAGER_HOSTS = [
  "deb.debian.org",
  "security.debian.org",
  "archive.ubuntu.com",
  "security.ubuntu.com",
  "crates.io",
  "index.crates.io",
  "static.crates.io",
  "rubygems.org",
  "proxy.golang.org",
  "sum.golang.org",
  "registry.npmjs.org",
  "registry.yarnpkg.com",
  "pypi.org",
  "files.pythonhosted.org",
] as const;
