"""The audit log: who did what to which document, and when (Phụ lục VI)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from docmgr.auth.models import User
from docmgr.db import Base, utcnow


ACTIONS = {
    "create": "Tạo văn bản",
    "import": "Nhập từ tệp",
    "update": "Sửa siêu dữ liệu",
    "attach": "Thêm tệp",
    "view": "Xem văn bản",
    "download": "Tải tệp",
    "export": "Xuất Excel",
    "print": "In",
    "transition": "Chuyển trạng thái",
    "steal_lock": "Giành quyền sửa",
    "login": "Đăng nhập",
    "file": "Đưa vào hồ sơ",
    "casefile_create": "Mở hồ sơ",
    "casefile_update": "Sửa hồ sơ",
    "casefile_close": "Kết thúc hồ sơ",
    "casefile_reopen": "Mở lại hồ sơ",
    "casefile_archive": "Nộp lưu hồ sơ",
    "casefile_delete": "Xóa hồ sơ",
    "casefile_share": "Chia sẻ hồ sơ",
    "unit_save": "Lưu đơn vị",
    "settings_update": "Sửa thông tin cơ quan",
    "unit_delete": "Xóa đơn vị",
    "user_create": "Tạo tài khoản",
    "user_update": "Sửa tài khoản",
    "user_password": "Đổi mật khẩu",
    "user_disable": "Khóa tài khoản",
    "user_enable": "Mở khóa tài khoản",
    "user_logout_all": "Đăng xuất mọi nơi",
    "user_unlock": "Gỡ khóa đăng nhập sai",
    "token_issue": "Cấp mã API",
    "token_revoke": "Thu hồi mã API",
}


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    detail: Mapped[dict] = mapped_column(default=dict)
    user: Mapped[User | None] = relationship()

    @property
    def action_title(self) -> str:
        return ACTIONS.get(self.action, self.action)


def record(db: Session, action: str, user: User | None = None, document_id: int | None = None, **detail) -> None:
    """Add an audit entry to the session; it commits with the change it describes."""
    db.add(AuditEntry(action=action, user_id=user.id if user else None, document_id=document_id, detail=detail))
