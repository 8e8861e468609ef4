# The one image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Pango and fonts for WeasyPrint's PDF report: DejaVu for text; Noto for other scripts, CJK and emoji,
# so that notes in any language come out as text.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# bin/diary holds every production command; tests/test_production.py runs the same ones.
RUN bin/diary build
RUN useradd --create-home diary
USER diary
EXPOSE 8000
CMD ["bin/diary", "web"]
