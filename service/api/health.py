from flask_smorest import Blueprint
from sqlalchemy import text

from ..extensions import db
from .schemas import HealthSchema

blp = Blueprint("health", __name__, description="Service health")


@blp.route("/health")
@blp.response(200, HealthSchema)
def health():
    """Is the service up and its database reachable?"""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
