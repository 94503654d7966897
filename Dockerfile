# One image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Collect with the production storage (hashed names + staticfiles.json manifest), as the app serves them.
RUN DEBUG=false SECRET_KEY=collectstatic-build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput
# var/imports: where uploads wait for their import task (a volume shared by web and worker).
RUN useradd --system --uid 1000 govweibo && mkdir -p /app/var/imports && chown -R govweibo /app
USER govweibo
EXPOSE 8000
CMD ["gunicorn", "govweibo.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "300"]
