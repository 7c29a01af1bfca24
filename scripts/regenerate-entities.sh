#!/usr/bin/env bash
# Regenerates entity/src from a freshly migrated PostgreSQL database.
# Usage: scripts/regenerate-entities.sh postgres://postgres@127.0.0.1:5432/entities_scratch
# The database is wiped (migration `fresh`). Needs sea-orm-cli 2.0.4.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:?usage: $0 <postgres database url to wipe and migrate>}"

cargo run -q -p migration -- fresh -u "$url"
# Everything but the hand-written arrays.rs is generated.
find entity/src -name '*.rs' ! -name arrays.rs -delete
sea-orm-cli generate entity -u "$url" -o entity/src --lib \
  --compact-format --date-time-crate chrono --with-serde both \
  --ignore-tables seaql_migrations

# The one hand edit: the array columns get a type that works on both backends.
printf '\npub mod arrays;\n' >> entity/src/lib.rs
sed -i 's/pub transports: Option<Vec<String>>,/pub transports: Option<crate::arrays::TextList>,/' entity/src/authenticators.rs
sed -i 's/pub custom_days: Option<Vec<i32>>,/pub custom_days: Option<crate::arrays::IntList>,/' entity/src/habits.rs
grep -q 'arrays::TextList' entity/src/authenticators.rs && grep -q 'arrays::IntList' entity/src/habits.rs \
  || { echo "the array columns were not found: update this script" >&2; exit 1; }
cargo fmt -p entity
