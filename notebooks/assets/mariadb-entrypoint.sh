#!/bin/sh
# Start Debian's MariaDB the way the official mysql image does: the root password
# comes from MYSQL_ROOT_PASSWORD, and the server listens on every address of the
# container so that other containers (and published ports) reach it.
set -e
: "${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD with -e}"
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
fi
cat > /run/mysqld/init.sql <<SQL
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';
FLUSH PRIVILEGES;
SQL
exec mariadbd --user=mysql --bind-address=0.0.0.0 --init-file=/run/mysqld/init.sql
