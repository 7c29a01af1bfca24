-- Seeds a freshly migrated database for benches/api/run, deterministically (ids are md5s
-- of their place; dates are relative to today, UTC). psql variables: users, habits, days,
-- goals, milestones, focus. Every user has passed the sign-up gates and holds one live
-- session (the run script signs its access tokens with the server's JWT_SECRET).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;

INSERT INTO users (id, name, email, email_verified, role, approved, age_verified,
                   tos_accepted, tos_accepted_at, tos_version, last_activity_at,
                   created_at, updated_at)
SELECT md5('user:' || u)::uuid, 'Bench User ' || u, 'bench-' || u || '@example.test',
       now() - interval '90 days', 'user', true, true,
       true, now() - interval '90 days', :'terms_version', now(),
       now() - interval '90 days', now()
FROM generate_series(1, :users) AS u;

INSERT INTO sessions (id, user_id, token, expires_at, created_at, last_activity_at,
                      user_agent, ip_address)
SELECT md5('session:' || u)::uuid, md5('user:' || u)::uuid,
       encode(sha256(convert_to('bench-session-' || u, 'UTF8')), 'hex'),
       now() + interval '1 day', now(), now(), 'benches/api', '127.0.0.1'
FROM generate_series(1, :users) AS u;

-- Daily habits, each done once a day on the last :days days up to yesterday (today is
-- left open for the write benchmark), so every streak stands at :days.
INSERT INTO habits (id, user_id, name, description, frequency, target_count, icon, color,
                    is_active, current_streak, longest_streak, last_completed_at,
                    sort_order, created_at, updated_at)
SELECT md5('habit:' || u || ':' || h)::uuid, md5('user:' || u)::uuid,
       'Habit ' || h, CASE WHEN h % 3 = 0 THEN 'A habit worth keeping' END,
       'daily', 1, 'star', '#3a7', true, :days, :days,
       ((current_date - 1) + time '12:00') AT TIME ZONE 'UTC', h,
       now() - interval '90 days' + h * interval '1 second', now()
FROM generate_series(1, :users) AS u, generate_series(1, :habits) AS h;

INSERT INTO habit_completions (id, habit_id, user_id, completed_at, completed_date)
SELECT md5('completion:' || u || ':' || h || ':' || d)::uuid,
       md5('habit:' || u || ':' || h)::uuid, md5('user:' || u)::uuid,
       ((current_date - d) + time '12:00') AT TIME ZONE 'UTC', current_date - d
FROM generate_series(1, :users) AS u, generate_series(1, :habits) AS h,
     generate_series(1, :days) AS d;

-- Goals with milestones; goal g of user u has (u + g) % (milestones + 1) of them done.
INSERT INTO goals (id, user_id, title, description, category, target_date, started_at,
                   status, progress, priority, sort_order, created_at, updated_at)
SELECT md5('goal:' || u || ':' || g)::uuid, md5('user:' || u)::uuid, 'Goal ' || g,
       'What goal ' || g || ' is about', 'bench', current_date + g,
       now() - interval '30 days', 'active',
       CASE WHEN :milestones > 0 THEN ((u + g) % (:milestones + 1)) * 100 / :milestones ELSE 0 END,
       g % 11, g, now() - interval '60 days' + g * interval '1 second', now()
FROM generate_series(1, :users) AS u, generate_series(1, :goals) AS g;

INSERT INTO goal_milestones (id, goal_id, title, is_completed, completed_at, sort_order)
SELECT md5('milestone:' || u || ':' || g || ':' || m)::uuid,
       md5('goal:' || u || ':' || g)::uuid, 'Milestone ' || m,
       m <= (u + g) % (:milestones + 1),
       CASE WHEN m <= (u + g) % (:milestones + 1) THEN now() - interval '1 day' END,
       m
FROM generate_series(1, :users) AS u, generate_series(1, :goals) AS g,
     generate_series(1, :milestones) AS m;

-- Completed 25-minute work sessions, one a day on the last :focus days.
INSERT INTO focus_sessions (id, user_id, mode, duration_seconds, started_at, completed_at,
                            expires_at, status, xp_awarded, coins_awarded, created_at)
SELECT md5('focus:' || u || ':' || f)::uuid, md5('user:' || u)::uuid, 'work', 1500,
       ((current_date - f) + time '09:00') AT TIME ZONE 'UTC',
       ((current_date - f) + time '09:25') AT TIME ZONE 'UTC',
       ((current_date - f) + time '09:35') AT TIME ZONE 'UTC',
       'completed', 25, 5, ((current_date - f) + time '09:00') AT TIME ZONE 'UTC'
FROM generate_series(1, :users) AS u, generate_series(1, :focus) AS f;

COMMIT;
ANALYZE;
